"""followscore_client: a small CRM-sync client for the followscore gRPC service.

`FollowScoreClient` (client.py) wraps the calls a CRM integration makes: upsert an account
from proto3 JSON, import follower files through ImportFollowers (the server's own importers
read them), list leads by tier and read the network quality report. `python -m
followscore_client sync` (cli.py) runs them in that order and prints what it finds.
"""

__version__ = "0.1.0"
