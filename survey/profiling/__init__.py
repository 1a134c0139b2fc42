"""The profiling engines: pure pandas, numpy and scikit-learn; no Flask, no SQLAlchemy."""
