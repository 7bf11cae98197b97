"""The Rasa run-time plug-ins: the servers, their guards, and the tracker and lock stores."""
