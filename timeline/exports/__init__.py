"""What leaves the site whole, for mirrors, spreadsheets and calendars: shared by the API and the
reader pages.

`events` (CSV, JSON Lines and TimelineJS files of events, streamed), `calendar` (iCalendar),
`feeds` (the reader pages' Atom feed and downloads of a crisis as filtered) and `changes` (what
changed since a time, with tombstones, for mirrors).
"""
