-- The product of a phenomenon table says what it is: a phenomenon picture (fenomeenbeeld), an
-- approach (aanpak) or a report (rapportage); empty for every other kind of knowledge item. The
-- table products written before this say nothing and are taken as reports.
ALTER TABLE knowledge_items ADD COLUMN product_type TEXT NOT NULL DEFAULT '';
UPDATE knowledge_items SET product_type = 'rapportage' WHERE kind = 'tafelproduct';
