"""Chinese NLU: text normalisation and the domain dictionary for jieba."""
