"""The MC-dropout code on the page, run as printed against real PyTorch modules (SCIENCE 9, 26).

After it, every kind of dropout in the model draws masks (Dropout, Dropout1d, AlphaDropout,
FeatureAlphaDropout and the attention dropout inside a TransformerEncoderLayer), and batch normalisation
stays in eval mode and leaves its running statistics alone. The loop the page used to print, which puts
only ``nn.Dropout`` modules back into train mode, is shown to miss all but one of them.
"""

import html
import re
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from dropout_playground.page import article_template

T = 8


class Classifier(nn.Module):
    """A small sequence classifier holding every kind of dropout the page names, and a batch norm."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Linear(8, 16)
        self.norm = nn.BatchNorm1d(16)
        self.channel_dropout = nn.Dropout1d(0.3)
        self.dropout = nn.Dropout(0.3)
        self.alpha_dropout = nn.AlphaDropout(0.3)
        self.feature_alpha_dropout = nn.FeatureAlphaDropout(0.3)
        self.encoder = nn.TransformerEncoderLayer(16, nhead=2, dim_feedforward=32, dropout=0.3, batch_first=True)
        self.head = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: (batch, steps, 8)
        channels = self.norm(self.embed(x).transpose(1, 2))  # (batch, 16 channels, steps)
        h = self.channel_dropout(channels).transpose(1, 2)
        h = self.feature_alpha_dropout(self.alpha_dropout(self.dropout(h)))
        return self.head(self.encoder(h).mean(dim=1))


DROPOUTS = ("channel_dropout", "dropout", "alpha_dropout", "feature_alpha_dropout")


def page_code() -> str:
    found = re.search(r'<code id="mc-dropout-code">(.*?)</code>', article_template(), re.S)
    assert found, "the page shows no MC-dropout code"
    return html.unescape(found.group(1))


def trained_model() -> tuple[Classifier, torch.Tensor]:
    torch.manual_seed(0)
    model = Classifier().double()
    x = torch.randn(5, 4, 8, dtype=torch.float64)
    model.train()
    with torch.no_grad():
        for _ in range(3):  # give the batch norm running statistics of its own
            model(torch.randn(5, 4, 8, dtype=torch.float64))
    model.eval()
    return model, x


def differs_between_calls(module: nn.Module, *inputs: torch.Tensor) -> bool:
    with torch.no_grad():
        first, second = module(*inputs), module(*inputs)
    if isinstance(first, tuple):
        first, second = first[0], second[0]
    return not torch.equal(first, second)


@pytest.fixture(scope="module")
def after_the_page_code():
    model, x = trained_model()
    statistics = {name: buffer.clone() for name, buffer in model.norm.named_buffers()}
    namespace = {"model": model, "x": x, "T": T}
    exec(page_code(), namespace)  # the code exactly as the page prints it
    return SimpleNamespace(model=model, namespace=namespace, statistics=statistics)


def test_every_dropout_layer_draws_masks(after_the_page_code):
    model = after_the_page_code.model
    h = torch.randn(5, 16, 4, dtype=torch.float64)
    for name in DROPOUTS:
        module = getattr(model, name)
        assert module.training, name
        assert differs_between_calls(module, h), name


def test_attention_dropout_draws_masks_even_where_the_encoder_could_take_its_fast_path(after_the_page_code):
    model = after_the_page_code.model
    h = torch.randn(5, 4, 16, dtype=torch.float64)
    # The attention module alone: its only randomness is the dropout on the attention weights.
    assert model.encoder.self_attn.training
    assert differs_between_calls(model.encoder.self_attn, h, h, h)
    # The whole encoder layer under no_grad, where eval mode would take the fused path without dropout.
    assert differs_between_calls(model.encoder, h)


def test_batch_norm_stays_in_eval_and_keeps_its_running_statistics(after_the_page_code):
    model = after_the_page_code.model
    assert not model.norm.training
    for name, before in after_the_page_code.statistics.items():
        assert torch.equal(dict(model.norm.named_buffers())[name], before), name


def test_the_passes_are_t_different_predictions_with_their_mean_and_spread(after_the_page_code):
    namespace = after_the_page_code.namespace
    passes = namespace["passes"]
    assert passes.shape == (T, 5, 3)
    assert torch.allclose(namespace["mean"], passes.mean(dim=0))
    assert (namespace["spread"] > 0).all()


def test_the_loop_over_nn_dropout_alone_misses_most_kinds_of_dropout():
    model, _ = trained_model()
    model.eval()
    for module in model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.train()
    h = torch.randn(5, 16, 4, dtype=torch.float64)
    assert differs_between_calls(model.dropout, h)
    for name in ("channel_dropout", "alpha_dropout", "feature_alpha_dropout"):
        assert not differs_between_calls(getattr(model, name), h), name
    # In eval mode, under no_grad, the encoder layer takes its fused path and drops nothing at all,
    # though its own Dropout layers were switched on.
    tokens = torch.randn(5, 4, 16, dtype=torch.float64)
    assert model.encoder.dropout1.training
    assert not differs_between_calls(model.encoder, tokens)
    assert not differs_between_calls(model.encoder.self_attn, tokens, tokens, tokens)
