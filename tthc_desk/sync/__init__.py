"""The portal Excel file layer: legacy text, safe workbook reading, column matching, values, export."""
