"""The public REST API at /api/v1/: reads for everyone, writes for editors with a token."""
