"""Loads Rasa's TensorFlow models (DIET, ResponseSelector, TED) for prediction only.

Rasa 3.6 builds a model it loads by running one training step on an example (`RasaModel.load`:
"need to train on 1 example to build weights of the correct size"), so the Rasa server holds
every model's training graph and optimizer state as well as its prediction graph: about 0.6 GB
of our server's 1.4 GB, for nothing, since the server never trains. `install()` builds a model
loaded for prediction by its first prediction instead: the saved weights are read first and
restored as the layers create their variables (TensorFlow's deferred restoration), then the
example prediction Rasa makes anyway builds the model. The weights, and so every prediction, are
the same; the server only lacks what training needs. Fine-tuning (`rasa train --finetune`) and
any load without a prediction example still go through Rasa's own path.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Text

from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

ORIGINAL: Callable[..., RasaModel] = RasaModel.load.__func__


def load_for_prediction(cls: type, model_file_name: Text, model_data_example: RasaModelData,
                        predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
                        *args: Any, **kwargs: Any) -> RasaModel:
    if finetune_mode or predict_data_example is None:
        return ORIGINAL(cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args,
                        **kwargs)
    model = cls(*args, **kwargs)
    restored = model.load_weights(model_file_name)  # values wait for the variables the first prediction creates
    model.run_inference(predict_data_example)
    restored.assert_existing_objects_matched()  # every layer built for prediction got its saved weights
    restored.expect_partial()  # the optimizer's saved state is not wanted
    return model


def install() -> None:
    """Replaces RasaModel.load in this process (idempotent)."""
    RasaModel.load = classmethod(load_for_prediction)


def uninstall() -> None:
    RasaModel.load = classmethod(ORIGINAL)
