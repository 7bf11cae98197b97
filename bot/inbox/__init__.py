"""The staff inbox: questions the assistant could not answer, grouped, and what staff decide for each
group (an FAQ it should have matched, out of scope, or a new FAQ to write), written back to the training
data in `knowledge/` and `data/nlu/`."""
