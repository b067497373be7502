"""Apache Spark: the dyade job (`job.py`), its inputs and the merge of mentions into events."""
