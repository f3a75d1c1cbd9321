"""The article as served: its computed numbers come from the engine, and its citations from its reading list."""

import html
import re

import pytest

from dropout_playground.figures.claims import claims
from dropout_playground.page import CLAIM_ELEMENT, article_template, claim_names, render_article


@pytest.fixture(scope="module")
def article():
    return claims()


@pytest.fixture(scope="module")
def page(article):
    return render_article(article_template(), article)


def text_of(markup):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def section(page, name):
    found = re.search(rf'<section id="{name}"[^>]*>(.*?)</section>', page, re.S)
    assert found, f"the page has no section {name}"
    return text_of(found.group(1))


def test_every_computed_number_in_the_template_is_left_empty_for_the_engine():
    template = article_template()
    # Any data-claim element with content would be a number typed by hand.
    every = re.findall(r"\sdata-claim=", template)
    assert len(every) == len(claim_names(template)) > 40


def test_the_template_asks_for_every_claim_and_only_for_claims_that_exist(article):
    asked = set(claim_names(article_template()))
    assert asked == set(article), f"unknown: {asked - set(article)}; never shown: {set(article) - asked}"


def test_the_page_as_served_carries_each_claim_in_its_place(page, article):
    element = r'<(?P<tag>[a-z]+)[^>]*\sdata-claim="(?P<name>[^"]+)"[^>]*>(?P<text>.*?)</(?P=tag)>'
    filled = list(re.finditer(element, page, re.S))
    assert len(filled) == len(claim_names(article_template()))
    for found in filled:
        assert html.unescape(found.group("text")) == article[found.group("name")]
    assert not CLAIM_ELEMENT.search(page), "an element was left empty"


def test_a_claim_the_engine_did_not_compute_is_an_error_not_a_blank():
    with pytest.raises(KeyError, match=r"not computed: worked\.eval"):
        render_article('<p><span data-claim="worked.eval"></span></p>', {})


def test_the_back_link_is_escaped():
    page = render_article("<main><!--library-link--></main>", {}, 'https://example.org/?a=1&b="2"')
    assert '<a class="library-link" href="https://example.org/?a=1&amp;b=&quot;2&quot;">' in page


# -- what the text says, against SCIENCE.md --------------------------------------------------------------


def test_the_abstract_claims_only_what_is_computed(page):
    abstract = text_of(re.search(r'<p class="abstract">(.*?)</p>', page, re.S).group(1))
    assert "every number on this page is computed live" not in abstract.lower()
    assert "numbers from papers are cited" in abstract


def test_the_no_scaling_example_says_above_and_below_as_the_engine_finds_them(page, article):
    text = section(page, "data-flow")
    default, negative = article["flow.none.default.side"], article["flow.none.negative.side"]
    assert f"settles {default} the eval output ({article['flow.none.default.mean']} against" in text
    assert f"settles {negative} it ({article['flow.none.negative.mean']} against" in text
    assert "E[y] − b = (1 − p)·(yeval − b)" in text


def test_the_identities_are_stated_for_p_below_one(page):
    text = section(page, "why-rescale")
    assert "For 0 ≤ p < 1 the scaling keeps the mean" in text
    assert "hold for 0 ≤ p < 1 only" in text
    assert "whenever the scaling is right and p < 1" in section(page, "data-flow")


def test_no_sentence_says_the_next_layer_receives_more_than_in_training(page):
    text = text_of(page)
    assert "would receive more than it ever did" not in text
    assert "larger than anything the next layer saw" not in text
    assert "1/(1 − p) times its training-time mean" in text


def test_one_step_updates_one_sub_network_per_example(page):
    text = text_of(page)
    assert "updates a randomly drawn sub-network" not in text
    assert "updates B sub-networks, each on one example" in section(page, "introduction")
    assert "as many sub-networks as the minibatch has examples" in section(page, "intuitions")


def test_the_exact_case_states_its_conditions(page):
    text = section(page, "intuitions")
    assert "approximates that average in a single pass" in text
    assert "the only dropout is on one layer of N units that feeds a softmax (or logistic) output directly" in text
    assert "with inverted or classic scaling" in text
    assert "within one standard deviation" in text


def test_every_work_cited_in_the_text_is_in_the_reading_list(page):
    body = text_of(page.split('<section id="reading">')[0])
    references = [
        text_of(item) for item in re.findall(r"<li>(.*?)</li>", page.split('<section id="reading">')[1], re.S)
    ]
    # "Author et al., 2019", "Author et al. (2019)", "A & B, 2013", "A, B & C (2018)": first author and year.
    author = r"[A-Z][a-zé]+"
    others = rf"(?: et al\.|(?:,? {author})*,? & {author}|)"
    cited = set(re.findall(rf"({author}){others}[ ,(]+((?:19|20)\d\d)\b", body))
    cited = {(name, year) for name, year in cited if name not in {"On", "The", "In", "With", "At", "Table"}}
    assert len(cited) > 25
    missing = [
        (name, year)
        for name, year in sorted(cited)
        if not any(ref.startswith(name) and f"({year})" in ref for ref in references)
    ]
    assert missing == []


@pytest.mark.parametrize(
    "title",
    [
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "Improving Language Understanding by Generative Pre-Training",
        "PaLM: Scaling Language Modeling with Pathways",
        "LLaMA: Open and Efficient Foundation Language Models",
        "Training data-efficient image transformers & distillation through attention",
        "A ConvNet for the 2020s",
        "Denoising Diffusion Probabilistic Models",
        "PEFT documentation",
        "Regularizing and Optimizing LSTM Language Models",
        "Drop Dropout on Single-Epoch Language Model Pretraining",
        "Understanding the Disharmony between Dropout and Batch Normalization by Variance Shift",
    ],
)
def test_the_reading_list_gives_full_titles(page, title):
    assert title in text_of(page.split('<section id="reading">')[1])
