"""HTTP routes: REST ``/v1`` and CDS Hooks ``/cds-services``."""
