#!/usr/bin/env python3
"""Writes prometheus-rule.yaml from deploy/prometheus-alerts.yaml (AlertRulesTest keeps them equal):
python3 deploy/k8s/monitoring/regenerate.py"""
import os

import yaml

here = os.path.dirname(os.path.abspath(__file__))
rules = yaml.safe_load(open(os.path.join(here, "..", "..", "prometheus-alerts.yaml")))
doc = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": {"name": "crew-storage"},
       "spec": rules}
head = """# The alerting rules of deploy/prometheus-alerts.yaml as a PrometheusRule of the Prometheus operator:
# kubectl apply -k deploy/k8s/monitoring (the operator's ruleSelector must match its labels). Written by
# regenerate.py beside it; a test keeps its groups equal to the file's.
"""
with open(os.path.join(here, "prometheus-rule.yaml"), "w") as f:
    f.write(head + yaml.safe_dump(doc, sort_keys=False, width=120))
