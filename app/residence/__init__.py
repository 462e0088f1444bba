"""Residence: the declarations a stay needs (lưu trú, tạm trú, extension, removal), their legal deadlines,
the CT01 form, and the ward police's desk."""
