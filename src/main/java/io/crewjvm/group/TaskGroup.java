package io.crewjvm.group;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Generated;

/** A task group: a name, a pause flag, and when it was created (database clock). */
@Entity
@Table(name = "task_group")
public class TaskGroup extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    @Column(name = "is_paused", nullable = false)
    public boolean paused;

    @Generated
    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;
}
