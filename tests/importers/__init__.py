"""Tests of vdp.importers: real CSV and workbook files written to tmp_path."""
