"""Accessible names for ipywidgets' sliders and Play buttons.

ipywidgets draws a slider with noUiSlider, whose handle (``role="slider"``) has no
accessible name: a screen reader announces "slider, 25" without saying what it sets,
and axe-core reports it (rule ``aria-input-field-name``); the Play widget's buttons
are icons without a name.  ipywidgets has no option for either, so every app carries
one invisible `AriaLabels` widget whose front-end code names each slider handle (and
its editable readout) after the slider's description, and each Play button after what
it does, and keeps doing so as controls are added or redrawn.
"""

import anywidget
import ipywidgets as widgets

__all__ = ["AriaLabels"]

_ESM = r"""
const PLAY = ['Play or pause the rounds', 'Stop: back to round 0', 'Repeat'];

function nameControls(app) {
  for (const box of app.querySelectorAll('.widget-slider')) {
    const text = (box.querySelector('.widget-label')?.textContent || '').trim();
    if (!text) continue;
    for (const handle of box.querySelectorAll('.noUi-handle')) {
      if (handle.getAttribute('aria-label') !== text) handle.setAttribute('aria-label', text);
    }
    const readout = box.querySelector('.widget-readout');
    if (readout && readout.getAttribute('aria-label') !== text + ' (value)') {
      readout.setAttribute('aria-label', text + ' (value)');
    }
  }
  app.querySelectorAll('.widget-play button').forEach((button, i) => {
    const name = PLAY[i % 3];
    if (button.getAttribute('aria-label') !== name) {
      button.setAttribute('aria-label', name);
      button.setAttribute('title', name);
    }
  });
}

export default {
  render({ el }) {
    let tries = 0;
    const start = () => {
      const app = el.closest('.senge-app');
      if (!app) { if (tries++ < 100) setTimeout(start, 50); return; }
      nameControls(app);
      new MutationObserver(() => nameControls(app)).observe(app, { subtree: true, childList: true });
    };
    start();
  },
};
"""


class AriaLabels(anywidget.AnyWidget):
    """An invisible widget that gives the sliders of its app an accessible name."""

    _esm = _ESM

    def __init__(self, **kwargs):
        super().__init__(
            layout=widgets.Layout(width="0px", height="0px", overflow="hidden"), **kwargs
        )
