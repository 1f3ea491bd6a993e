"""Parts of the inbox benchmark (`bench/inbox.py`); kept out of `bench/*.py`, which `make bench`
runs one by one as scripts."""
