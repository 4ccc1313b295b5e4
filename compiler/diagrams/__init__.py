"""Mermaid diagrams of the process document: escalation flows, on-call Gantt charts, the banner map."""
