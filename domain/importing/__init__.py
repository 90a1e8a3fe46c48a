"""Reading deals from another tool's export: columns (`columns`), dates (`dates`), values such as
stages, statuses and owners (`values`), each row with its history (`rows`), and the quoting of
formula-like cells (`cells`). Pure: the caller passes the rows, `now` and the team's stages."""
