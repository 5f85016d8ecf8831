-- The _elements of a job by resource type ("*" for entries without a type); empty: whole resources.
ALTER TABLE export_job ADD COLUMN elements jsonb NOT NULL DEFAULT '{}'::jsonb;
