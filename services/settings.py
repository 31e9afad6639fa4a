"""The settings for the admin page and the services: the model's (`models.setting`) defaults, reading and
writing, under their usual names. Domain code reads through `Setting.get`."""
from models.setting import DEFAULTS, Setting  # noqa: F401

get = Setting.get
default = Setting.default
put = Setting.put
