"""Answer variants for 01-fixture.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

WRONG = {
    "mean_square": {
        "mean of x, then squared": '''
def mean_square(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean() ** 2)
''',
        "sign kept (x * |x|)": '''
def mean_square(x):
    x = np.asarray(x, dtype=float)
    return float((x * abs(x)).mean())
''',
    },
}

RIGHT = {
    "mean_square": {
        "plain python": '''
def mean_square(x):
    return sum(v * v for v in x) / len(x)
''',
    },
}
