"""The YAML settings files and their schemas: scoring rules, identity guard rails, the
activity vocabulary they name, and the one loader and error format they share."""
