"""Help to code many answers: themes to start a codebook from (NMF on TF-IDF), and per-code suggestions from a
classifier trained on the coders' own codes (TF-IDF and logistic regression), never applied silently."""

MIN_EACH = 20  # coded answers, and answers without the code, before a model is trained
