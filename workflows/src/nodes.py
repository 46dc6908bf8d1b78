"""Node builders for the Sales Machine workflows: n8n's node types and parameter shapes.

generate.py builds every workflow (and its test) from these, so a test runs exactly the Code of the
production workflow. Run `python3 workflows/src/generate.py` after editing; commit the JSON.
"""
import uuid

NS = uuid.UUID("6f1c2b9e-5b0e-4c3f-9d47-5a1e0c7b2d11")

CRED = {
    "postgres": {"postgres": {"id": "sales-db", "name": "Sales DB"}},
    "redis": {"redis": {"id": "sales-cache", "name": "Sales Cache"}},
    "anthropic": {"anthropicApi": {"id": "anthropic", "name": "Anthropic"}},
    "phantombuster": {"httpHeaderAuth": {"id": "phantombuster", "name": "PhantomBuster"}},
    "instantly": {"httpBearerAuth": {"id": "instantly", "name": "Instantly"}},
    "calcom": {"httpBearerAuth": {"id": "calcom", "name": "Cal.com"}},
    "builtwith": {"httpQueryAuth": {"id": "builtwith", "name": "BuiltWith"}},
    "jwt": {"jwtAuth": {"id": "supabase-jwt", "name": "Supabase JWT"}},
    "instantlyWebhook": {"httpHeaderAuth": {"id": "instantly-webhook", "name": "Instantly Webhook"}},
    "calcomWebhook": {"httpHeaderAuth": {"id": "calcom-webhook", "name": "Cal.com Webhook"}},
}

BASE = {
    "phantombuster": "{{ $env.PHANTOMBUSTER_BASE_URL || 'https://api.phantombuster.com' }}",
    "instantly": "{{ $env.INSTANTLY_BASE_URL || 'https://api.instantly.ai' }}",
    "calcom": "{{ $env.CALCOM_BASE_URL || 'https://api.cal.com' }}",
    "builtwith": "{{ $env.BUILTWITH_BASE_URL || 'https://api.builtwith.com' }}",
}

MODEL = "claude-sonnet-4-20250514"

# Transient failures (429, 5xx, timeouts) are retried by the node's own retry settings, as in n8n.
RETRY = {"retryOnFail": True, "maxTries": 5, "waitBetweenTries": 2000}

# flowrun's circuit breaker per API account (the node's credential), not per host: one failing API
# must not stop the others when they share a host (the stand-ins) or a gateway. n8n ignores the key.
BREAKER = {"breaker": {"key": "credential", "failureThreshold": 3, "coolDownMs": 60000}}


class Workflow:
    def __init__(self, wid, name, tags=()):
        self.id = wid
        self.name = name
        self.tags = list(tags)
        self.nodes = []
        self.connections = {}
        self.x = 0

    def add(self, node, at=None):
        if at is None:
            self.x += 240
            node["position"] = [self.x, 300]
        else:
            node["position"] = list(at)
        node["id"] = str(uuid.uuid5(NS, self.id + "/" + node["name"]))
        self.nodes.append(node)
        return node["name"]

    def connect(self, source, target, output=0, input_=0, kind="main"):
        outputs = self.connections.setdefault(source, {}).setdefault(kind, [])
        while len(outputs) <= output:
            outputs.append([])
        outputs[output].append({"node": target, "type": kind, "index": input_})

    def chain(self, *names):
        for a, b in zip(names, names[1:]):
            self.connect(a, b)

    def node(self, name):
        return next(n for n in self.nodes if n["name"] == name)

    def document(self, pin_data=None, extra=None):
        doc = {
            "id": self.id,
            "name": self.name,
            "nodes": self.nodes,
            "connections": self.connections,
            "settings": {"executionOrder": "v1", "timezone": "UTC", "errorWorkflow": "sales-error-notifier"},
            "active": True,
            "tags": [{"name": t} for t in self.tags],
        }
        if pin_data is not None:
            doc["pinData"] = pin_data
        if extra:
            doc.update(extra)
        return doc


def postgres(name, query, replacements=None, **settings):
    options = {}
    if replacements:
        options["queryReplacement"] = "={{ [" + ", ".join(replacements) + "] }}"
    node = {
        "name": name,
        "type": "n8n-nodes-base.postgres",
        "typeVersion": 2.5,
        "parameters": {"operation": "executeQuery", "query": query, "options": options},
        "credentials": CRED["postgres"],
    }
    node.update(settings)
    return node


def http(name, method, api, path, credential, body=None, query=None, headers=None, **settings):
    params = {
        "method": method,
        "url": "=" + BASE[api] + path,
        "authentication": "genericCredentialType",
        "genericAuthType": list(CRED[credential].keys())[0],
        "options": {"timeout": 30000},
    }
    if query:
        params["sendQuery"] = True
        params["queryParameters"] = {"parameters": [{"name": k, "value": v} for k, v in query]}
    if headers:
        params["sendHeaders"] = True
        params["headerParameters"] = {"parameters": [{"name": k, "value": v} for k, v in headers]}
    if body is not None:
        params["sendBody"] = True
        params["specifyBody"] = "json"
        params["jsonBody"] = body
    node = {
        "name": name,
        "type": "n8n-nodes-base.httpRequest",
        "typeVersion": 4.2,
        "parameters": params,
        "credentials": CRED[credential],
    }
    node.update(RETRY)
    node["flowrun"] = dict(BREAKER)
    node.update(settings)
    return node


def code(name, js, each=False):
    params = {"jsCode": js}
    if each:
        params["mode"] = "runOnceForEachItem"
    return {"name": name, "type": "n8n-nodes-base.code", "typeVersion": 2, "parameters": params}


def redis_get(name, key, prop):
    return {
        "name": name,
        "type": "n8n-nodes-base.redis",
        "typeVersion": 1,
        "parameters": {"operation": "get", "propertyName": prop, "key": key, "keyType": "string", "options": {}},
        "credentials": CRED["redis"],
        "alwaysOutputData": True,
    }


def redis_set(name, key, value, ttl):
    return {
        "name": name,
        "type": "n8n-nodes-base.redis",
        "typeVersion": 1,
        "parameters": {"operation": "set", "key": key, "value": value, "keyType": "string", "expire": True, "ttl": ttl},
        "credentials": CRED["redis"],
    }


def redis_delete(name, key):
    return {
        "name": name,
        "type": "n8n-nodes-base.redis",
        "typeVersion": 1,
        "parameters": {"operation": "delete", "key": key},
        "credentials": CRED["redis"],
    }


def if_node(name, left, op_type, operation, right=None):
    condition = {
        "id": str(uuid.uuid5(NS, name)),
        "leftValue": left,
        "operator": {"type": op_type, "operation": operation},
    }
    if right is not None:
        condition["rightValue"] = right
    else:
        condition["operator"]["singleValue"] = True
    return {
        "name": name,
        "type": "n8n-nodes-base.if",
        "typeVersion": 2.2,
        "parameters": {
            "conditions": {
                "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", "version": 2},
                "conditions": [condition],
                "combinator": "and",
            },
            "options": {},
        },
    }


def switch(name, value, cases):
    rules = []
    for case in cases:
        rules.append({
            "conditions": {
                "options": {"caseSensitive": True, "leftValue": "", "typeValidation": "strict", "version": 2},
                "conditions": [{
                    "id": str(uuid.uuid5(NS, name + case)),
                    "leftValue": value,
                    "rightValue": case,
                    "operator": {"type": "string", "operation": "equals"},
                }],
                "combinator": "and",
            },
            "renameOutput": True,
            "outputKey": case,
        })
    return {
        "name": name,
        "type": "n8n-nodes-base.switch",
        "typeVersion": 3.2,
        "parameters": {"rules": {"values": rules}, "options": {}},
    }


def anthropic(name, prompt, system):
    return {
        "name": name,
        "type": "@n8n/n8n-nodes-langchain.anthropic",
        "typeVersion": 1,
        "parameters": {
            "resource": "text",
            "operation": "message",
            "modelId": {"__rl": True, "mode": "list", "value": MODEL, "cachedResultName": "Claude Sonnet 4"},
            "messages": {"values": [{"content": prompt, "role": "user"}]},
            "simplify": True,
            "options": {"system": system, "maxTokens": 1024, "temperature": 0},
        },
        "credentials": CRED["anthropic"],
        **RETRY,
        "flowrun": dict(BREAKER),
    }


def execute_workflow(name, workflow_id, wait=True):
    return {
        "name": name,
        "type": "n8n-nodes-base.executeWorkflow",
        "typeVersion": 1.1,
        "parameters": {
            "source": "database",
            "workflowId": {"__rl": True, "mode": "id", "value": workflow_id},
            "mode": "each",
            "options": {"waitForSubWorkflow": wait},
        },
    }


def execute_trigger(name="When called by another workflow"):
    return {"name": name, "type": "n8n-nodes-base.executeWorkflowTrigger", "typeVersion": 1, "parameters": {}}


def schedule(name, minutes):
    return {
        "name": name,
        "type": "n8n-nodes-base.scheduleTrigger",
        "typeVersion": 1.2,
        "parameters": {"rule": {"interval": [{"field": "minutes", "minutesInterval": minutes}]}},
    }


def webhook(name, path, auth, credential, response_mode="responseNode", options=None, gateway=None):
    node = {
        "name": name,
        "type": "n8n-nodes-base.webhook",
        "typeVersion": 2,
        "webhookId": str(uuid.uuid5(NS, "webhook/" + path)),
        "parameters": {
            "httpMethod": "POST",
            "path": path,
            "authentication": auth,
            "responseMode": response_mode,
            "options": options or {},
        },
    }
    if credential:
        node["credentials"] = CRED[credential]
    if gateway:
        node["flowrun"] = gateway  # flowrun serve's gateway options; n8n ignores the key
    return node


def respond(name, body, code_=200):
    return {
        "name": name,
        "type": "n8n-nodes-base.respondToWebhook",
        "typeVersion": 1.1,
        "parameters": {"respondWith": "json", "responseBody": body, "options": {"responseCode": code_}},
    }


def rate_limit(name, key, limit, **window):
    """flowrun.rateLimit: a per-key limit; items over it leave on output 1 ("over limit")."""
    return {
        "name": name,
        "type": "flowrun.rateLimit",
        "typeVersion": 1,
        "parameters": {"key": key, "limit": limit, **window, "onLimit": "route"},
    }


def noop(name):
    return {"name": name, "type": "n8n-nodes-base.noOp", "typeVersion": 1, "parameters": {}}
