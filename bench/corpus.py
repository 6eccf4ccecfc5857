"""A deterministic generator of English-like survey essays (100-400 words) for benchmarks."""
import random
from itertools import accumulate

FUNCTION = """the of and to a in that it is was i for on you he be with as by at have are this not
but had his they from she which or we an there her were one do been all their has would will what
if can when so no said who more about up them some could him into its then two like other time
out only my just after very over our also because any these well even most much before""".split()
CONTENT = """work team tool tools deploy deployment pipeline build builds release releases review
reviews code test tests testing server servers cloud database query queries search index data
report reports dashboard customer customers support ticket tickets service services api apis
error errors bug bugs fix fixes issue issues incident incidents alert alerts monitoring logs
latency performance slow fast faster slower speed memory cpu disk network outage downtime
migration upgrade upgraded version versions config configuration setting settings account
accounts login password security access permission permissions role roles policy policies
manager managers engineer engineers developer developers designer product products feature
features roadmap sprint sprints meeting meetings planning estimate estimates deadline deadlines
documentation docs guide guides onboarding training learning mentor mentoring colleague
colleagues project projects process processes workflow workflows automation script scripts
spreadsheet email emails chat message messages notification notifications calendar schedule
week weeks month months day days hour hours minute minutes morning afternoon evening
problem problems solution solutions idea ideas change changes improvement improvements
experience experiences frustration frustrating helpful useful easy easier hard harder simple
complex reliable unreliable stable unstable clear unclear confusing better worse great terrible
running run runs ran started start starting finished finish waited waiting saved saving lost
losing broke broken crashed crashing failed failing worked working helped helping changed
learned understand understood explained noticed decided wanted needed tried trying used using
made making took taking gave giving found finding kept keeping moved moving spent spending
cache caching queue queues worker workers thread threads container containers cluster clusters
terminal editor laptop browser phone mobile app apps website page pages form forms button""".split()
SYLLABLES = "ba be bi bo bu ca co cu da de di do fa fe fi ga go ka ke ki ko la le li lo lu ma me mi mo mu " \
            "na ne ni no pa pe pi po pu ra re ri ro ru sa se si so ta te ti to tu va ve vi vo za zo".split()


def vocabulary(tail=20_000, seed=1):
    """Common words first (the Zipf head), then a deterministic tail of rarer word-like terms."""
    rnd = random.Random(seed)
    rare = sorted({"".join(rnd.choices(SYLLABLES, k=rnd.randint(2, 4))) for _ in range(tail * 2)})
    rnd.shuffle(rare)
    return FUNCTION + CONTENT + rare[:tail]


class EssayGenerator:
    """Essays of 100-400 words drawn from a Zipf distribution over the vocabulary."""

    def __init__(self, seed=42):
        self.words = vocabulary()
        weights = [1 / (rank + 2) ** 1.05 for rank in range(len(self.words))]
        self.cumulative = list(accumulate(weights))
        self.rnd = random.Random(seed)

    def essay(self):
        """One essay: sentences of 6-22 words, capitalised, ending in a full stop."""
        length, words = self.rnd.randint(100, 400), []
        while len(words) < length:
            sentence = self.rnd.choices(self.words, cum_weights=self.cumulative, k=self.rnd.randint(6, 22))
            words.extend([sentence[0].capitalize(), *sentence[1:-1], sentence[-1] + "."])
        return " ".join(words[:length])
