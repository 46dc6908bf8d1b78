"""n8n's rules for what Python Code may return, with n8n's messages in Python wording."""

ITEM_KEYS = {"json", "binary", "pairedItem", "error", "metadata", "index"}


class ValidationError(Exception):
    def __init__(self, message, description, item_index=None):
        text = f"{message} [item {item_index}]" if item_index is not None else message
        super().__init__(text)
        self.message = text
        self.description = description
        self.item_index = item_index


def is_object(value):
    return isinstance(value, dict)


def normalize_items(data):
    if isinstance(data, dict):
        data = [data] if data.get("json") else [{"json": data}]
    if all(isinstance(i, dict) and "json" in i for i in data):
        return data
    if any(isinstance(i, dict) and "json" in i for i in data):
        raise RuntimeError("Inconsistent item format")
    if all(isinstance(i, dict) and "binary" in i for i in data):
        return [{"json": {k: v for k, v in i.items() if k != "binary"}, "binary": i["binary"]} for i in data]
    if any(isinstance(i, dict) and "binary" in i for i in data):
        raise RuntimeError("Inconsistent item format")
    return [{"json": i} for i in data]


def validate_top_level_keys(item, index):
    reserved = next((k for k in item if k in ITEM_KEYS), None)
    unknown = [k for k in item if k not in ITEM_KEYS]
    if not unknown:
        return
    if reserved:
        raise ValidationError("Invalid output format", f"An output item contains the reserved key <code>{reserved}</code>. To get around this, please wrap each item in an object, under a key called <code>json</code>. <a href=\"https://docs.n8n.io/data/data-structure/#data-structure\" target=\"_blank\">Example</a>", index)
    raise ValidationError(f"Unknown top-level item key: {unknown[0]}", "Access the properties of an item under `.json`, e.g. `item.json`", index)


def validate_item(item, index):
    if not is_object(item.get("json")):
        raise ValidationError("A 'json' property isn't a dictionary", "In the returned data, every key named 'json' must point to a dictionary.", index)
    if "binary" in item and not is_object(item["binary"]):
        raise ValidationError("A 'binary' property isn't a dictionary", "In the returned data, every key named 'binary' must point to a dictionary.", index)


def validate_all_items(result):
    if result is None:
        return []
    if not isinstance(result, (list, dict)):
        raise ValidationError("Code doesn't return items properly", "Please return an array of dictionaries, one for each item you would like to output.")
    if isinstance(result, list):
        for item in result:
            if not is_object(item):
                raise ValidationError("Code doesn't return items properly", "Please return an array of dictionaries, one for each item you would like to output.")
        if any(k in ITEM_KEYS for item in result for k in item):
            for index, item in enumerate(result):
                validate_top_level_keys(item, index)
    items = normalize_items(result)
    for index, item in enumerate(items):
        validate_item(item, index)
    return items


def validate_each_item(result, index):
    if isinstance(result, list):
        first = f"An array of {type(result[0]).__name__}s was returned." if result else "An empty array was returned."
        raise ValidationError("Code doesn't return a single dictionary", f"{first} If you need to output multiple items, please use the 'Run Once for All Items' mode instead.", index)
    if not isinstance(result, dict):
        raise ValidationError("Code doesn't return a dictionary", f"Please return a dictionary representing the output item. ('{result}' was returned instead.)", index)
    [item] = normalize_items([result])
    validate_item(item, index)
    validate_top_level_keys(item, index)
    return item


