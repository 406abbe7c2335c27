"""`mra-registry check`: decide consignments from the command line, against the local database or a remote
server, one at a time or a CSV declaration; print for people (text) or programs (JSON, CSV)."""
