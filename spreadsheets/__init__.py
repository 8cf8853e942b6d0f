"""Spreadsheet import and export: the top of the stack (it reads and writes results, indicators and
their figures through their models and services; nothing below imports it).

The path of an import: reading (file -> table) -> planning/<kind> (every row checked, new / changed /
unchanged decided) -> report (the preview) -> importing (confirm: the same checks again, then bulk
writes in one transaction). Exports: resources (CSV) and templates_xlsx (XLSX, templates).
"""
