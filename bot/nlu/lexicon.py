"""Closed word classes of English the extractor relies on (all given as norms, see text.py).

These are grammar, not medicine: body parts, function words, laterality, people. Symptom
vocabulary lives in data/kb/, never here.
"""
from __future__ import annotations

# Body parts. In a description they float ("numb feet", "my feet are numb", "numbness in my feet").
BODY_SITES = frozenset({
    "foot", "toe", "ankle", "heel", "sole", "arch", "calf", "shin", "knee", "thigh", "leg", "hip", "buttock",
    "bum", "bottom", "groin", "back", "spine", "neck", "hand", "finger", "wrist", "arm", "shoulder", "elbow",
    "face", "lip", "cheek", "mouth", "eye", "head", "body", "muscle", "joint", "limb", "side", "chest", "stomach",
    "belly", "abdomen", "throat", "gland", "ear", "nose", "jaw", "tongue",
})
# Regions of the body: a symptom said of one body part holds for the parts of the same region.
REGIONS = {
    "lower limb": {"foot", "toe", "ankle", "heel", "sole", "arch", "calf", "shin", "knee", "thigh", "leg", "hip"},
    "upper limb": {"hand", "finger", "wrist", "arm", "shoulder", "elbow"},
    "head": {"face", "lip", "cheek", "mouth", "eye", "head", "ear", "nose", "jaw", "tongue"},
    "trunk": {"back", "spine", "neck", "chest", "stomach", "belly", "abdomen", "throat", "gland", "buttock", "bum",
              "bottom", "groin"},
}
REGION_OF = {site: region for region, sites in REGIONS.items() for site in sites}
# Words that belong to a body-part phrase ("lower back", "left foot", "big toe", "both legs").
SITE_MODIFIERS = frozenset({"upper", "lower", "low", "mid", "middle", "outer", "inner", "big",
                            "left", "right", "both", "each", "either", "one"})
# Body parts that come in pairs: a plural ("my feet") means both sides.
PAIRED_PLURALS = frozenset({"feet", "legs", "hands", "arms", "calves", "calfs", "thighs", "knees", "ankles",
                            "shins", "heels", "hips", "soles", "buttocks", "shoulders", "wrists", "elbows"})
BODY_SITE_NAMES = {"bum": "buttock", "bottom": "buttock"}  # how a site is reported as `body_site`
NOT_A_REPORTED_SITE = frozenset({"side", "body", "muscle", "joint", "limb"})

# Function words: not part of what a phrase means, so dropped from a phrase's content words.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "my", "your", "his", "her", "their", "our", "its", "this", "that", "these", "those",
    "some", "any", "i", "me", "it", "he", "she", "they", "we", "you", "him", "them", "be", "'s", "have", "do",
    "will", "would", "in", "on", "of", "at", "to", "with", "for", "from", "into", "onto", "by", "and", "or",
    "&", "/", ",", "-", "just", "really", "very", "so", "too", "quite", "also", "kind", "sort", "bit", "lot",
    "kinda", "sorta", "pretty", "like", "when", "if", "while", "whenever", "been", "being", "am",
})
# Words that may stand between the words of one description without breaking it up.
SKIP_WORDS = FUNCTION_WORDS | {
    "get", "keep", "start", "begin", "become", "seem", "lately", "recently", "now", "always", "constantly",
    "often", "sometimes", "again", "more", "much", "still", "completely", "totally", "slightly", "mildly",
    "maybe", "perhaps", "possibly", "probably", "somewhat", "less", "fairly", "extremely", "super", "even",
    "feel", "go", "all",
}
# Words too general to describe a symptom on their own: never the "description" a body part belongs to.
GENERIC_WORDS = frozenset({
    "time", "day", "week", "month", "year", "hour", "minute", "night", "morning", "evening", "today", "tonight",
    "yesterday", "always", "ever", "never", "now", "again", "still", "often", "sometimes", "constantly", "lately",
    "recently", "get", "go", "come", "make", "do", "have", "take", "keep", "start", "begin", "feel", "seem",
    "become", "want", "need", "know", "think", "say", "tell", "try", "let", "put", "give", "up", "down", "out",
    "off", "over", "around", "away", "all", "every", "each", "one", "some", "lot", "thing", "way", "like", "just",
    "more", "much", "less", "very", "really", "can", "will", "would", "should", "could", "may", "might", "must",
})
# Phrase words a spread-out match may do without ("feet feel numb" is found in "my feet are numb").
BAG_OPTIONAL = frozenset({"feel", "go", "get", "keep", "seem", "become", "start", "begin", "come", "make", "always",
                          "all", "really", "lot", "constantly", "time"})
# Subject pronouns: a new subject starts a new description ("my hands tingle and I feel tired").
SUBJECT_PRONOUNS = frozenset({"i", "he", "she", "we", "you"})  # not "they": mostly body parts ("feet... they're numb")
# Prepositions after which a body part belongs to the description before it ("pain in my foot").
SITE_PREPOSITIONS = frozenset({"in", "on", "of", "at", "into", "down", "up", "through", "across", "around",
                               "along", "under", "below", "above", "behind", "near", "to", "from", "over",
                               "between", "inside"})
# Words that may stand between a preposition or adjective and its body part.
DETERMINERS = frozenset({"a", "an", "the", "my", "your", "his", "her", "their", "our", "its", "both", "each",
                         "either", "one", "left", "right", "upper", "lower", "low", "mid", "middle", "outer",
                         "inner", "big", "little", "two", "whole", "entire", "'s", "of"})
NEGATION_PARTICLES = frozenset({"not", "no", "never", "without", "unable"})

# Laterality words, and the words after "right" that make it no side ("right now", "right away").
LATERALITY = {"left": "left", "right": "right", "both": "both", "bilateral": "both", "bilaterally": "both",
              "each": "both"}
NOT_LATERAL_AFTER_RIGHT = frozenset({"now", "away", "after", "before", "then", "there", "here", "when", "as",
                                     "?", "!", "at", "this", "about", "into", "back", "through", "enough"})
LATERAL_BEFORE = frozenset({"my", "the", "his", "her", "your", "their", "on", "in", "to", "at", "'s", "both",
                            "of", "lower", "upper", "outer", "inner"})

# Words that open a question without inverting it ("when I stand up" is no question).
WH_WORDS = frozenset({"what", "how", "when", "where", "why", "which", "who", "whose", "whom"})

# People. The speaker, and everyone the speaker might be typing for.
FIRST_PERSON = frozenset({"i", "my", "me", "mine", "myself"})
THIRD_PERSON_PRONOUNS = {"he": "male", "him": "male", "his": "male", "himself": "male",
                         "she": "female", "her": "female", "hers": "female", "herself": "female"}
RELATIVES = {
    "mom": "female", "mum": "female", "mother": "female", "mommy": "female", "mummy": "female", "ma": "female",
    "wife": "female", "daughter": "female", "sister": "female", "grandma": "female", "grandmother": "female",
    "granny": "female", "nan": "female", "nana": "female", "aunt": "female", "auntie": "female",
    "girlfriend": "female", "niece": "female", "stepmother": "female", "fiancee": "female",
    "dad": "male", "father": "male", "daddy": "male", "husband": "male", "son": "male", "brother": "male",
    "grandpa": "male", "grandfather": "male", "grandad": "male", "granddad": "male", "uncle": "male",
    "boyfriend": "male", "nephew": "male", "stepfather": "male", "fiance": "male",
    "partner": None, "friend": None, "neighbour": None, "neighbor": None, "child": None, "kid": None,
    "baby": None, "toddler": None, "patient": None, "client": None, "colleague": None, "coworker": None,
    "roommate": None, "flatmate": None, "spouse": None, "cousin": None, "parent": None, "relative": None,
    "grandparent": None, "teenager": None, "resident": None,
}

# Words the typo corrector may correct to besides the KB vocabulary (grammar it needs to see).
CORRECTABLE_WORDS = frozenset(
    set(BODY_SITES) | set(SITE_MODIFIERS) | set(PAIRED_PLURALS) | set(LATERALITY)
    | {"without", "never", "neither", "denies", "suddenly", "gradually", "slowly", "severe", "mild", "moderate",
       "terrible", "unbearable", "excruciating", "minutes", "hours", "weeks", "months", "years", "yesterday",
       "since", "tuesday", "wednesday", "thursday", "saturday", "toes", "fingers", "shoulders", "numbness",
       "tingling", "weakness", "burning", "maybe", "perhaps", "possibly", "probably", "walking"}
)
