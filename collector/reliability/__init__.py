"""Coding you can defend: blind double-coding rounds, their agreement (Krippendorff's alpha, Cohen's
kappa, percent agreement, a bootstrap interval) and the adjudication of their disagreements."""
