-- Whether :name is :parent or one of its ancestors: making :parent the parent of :name would close a cycle.
SELECT EXISTS (SELECT 1 FROM workgroup_chain(:parent) c WHERE c.name = :name)
