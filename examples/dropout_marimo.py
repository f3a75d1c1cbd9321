import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    import numpy as np

    import dropout_playground as dp

    return dp, mo, np


@app.cell
def _(mo):
    mo.md(
        r"""
        # Dropout, in marimo

        The figures of the Dropout Playground page, each a widget with its network in this notebook's
        Python. `p` is the **drop** probability everywhere, as in PyTorch's `nn.Dropout(p)`.
        Move the playground's slider: the cells below that read it run again.
        """
    )
    return


@app.cell
def _(dp, mo):
    playground = mo.ui.anywidget(dp.Playground(p=0.3, dataset="spiral", seed=0))
    playground
    return (playground,)


@app.cell
def _(mo, playground):
    shown = playground.value
    mo.md(f"The playground shows p = **{shown['p']:.2f}** in **{shown['mode']}** mode, on the {shown['dataset']} set.")
    return


@app.cell
def _(np, playground):
    # The widget's network is the engine's own: go on in code with it.
    net = playground.widget.net
    x = np.array([[0.0, 0.2]])
    net.train()
    passes = np.vstack([net(x) for _ in range(4)]).round(3)  # four passes, four sub-networks
    net.eval()
    passes
    return


@app.cell
def _(dp, mo):
    before_after = mo.ui.anywidget(dp.Overfitting(task="sine"))
    mo.vstack(
        [mo.md("## What dropout does: before and after\n\nPress **Play**: both networks train live."), before_after]
    )
    return


@app.cell
def _(dp, mo):
    mc = mo.ui.anywidget(dp.McDropout(T=30))
    mo.vstack([mo.md("## MC dropout: dropout for uncertainty"), mc])
    return


if __name__ == "__main__":
    app.run()
