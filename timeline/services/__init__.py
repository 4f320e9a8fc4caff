"""Writes: every change to the timeline goes through a function of one of these modules.

The admin, the API, the ingestion pipeline and the management commands all call them, so each rule
(validation, editorial state, provenance) lives in one place. Callers import the domain module
(`from timeline.services import editorial`); nothing is re-exported here.
"""
