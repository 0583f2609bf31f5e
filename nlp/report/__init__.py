"""What a researcher opens: the study report (``study.py``), the reuse viewer (``viewer.py``) and
the embedded CJK font both use (``fonts.py``)."""
