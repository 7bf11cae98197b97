"""What staff and managers want to see: messages per day and channel, the share answered, unsure and
refused, the top questions and unanswered groups, and the callbacks."""
