"""`make bench`: exchanges, bytes and time per verification, cold starts, batch scaling.

Speed and memory targets live here, never in timed tests.
"""
