-- Who changed each editable thing last [extension], so that a write refused for being based
-- on an old version (409) can say who changed it. Empty until the first edit.
ALTER TABLE actions ADD COLUMN updated_by UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE agreements ADD COLUMN updated_by UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE notes ADD COLUMN updated_by UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE goals ADD COLUMN updated_by UUID REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE coaching_sessions ADD COLUMN updated_by UUID REFERENCES users (id) ON DELETE SET NULL;
