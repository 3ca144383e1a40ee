"""Excel import and export of the catalog: template (sheets, columns, cell formats), exporter, reader, importer."""
