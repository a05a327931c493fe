#!/usr/bin/env python3
"""orderflow's test stand-in for a shop's coupon API: the documented requests, responses and error
shapes of one API, so the connectors can be tested without the shop.

  shopify      Admin GraphQL API 2025-01: POST /admin/api/2025-01/graphql.json, X-Shopify-Access-Token;
               discountCodeBasicCreate, codeDiscountNodeByCode; cost-based throttling reported in
               extensions.cost.throttleStatus (a THROTTLED error when the bucket is empty).
  woocommerce  REST API v3: POST /wp-json/wc/v3/coupons, GET /wp-json/wc/v3/coupons?code=,
               POST /wp-json/wc/v3/coupons/batch (creates, at most 100 objects a request), HTTP basic
               auth with the consumer key and secret; WP REST error objects.
  shopware     Admin API: POST /api/oauth/token (client credentials), POST /api/promotion,
               POST /api/search/promotion; JSON:API style error lists.

Every API: a wrong credential is 401; a code the shop has already is its documented duplicate error;
missing or malformed fields are its documented validation error. For tests:
  --fault-rate R   each API request answers 429 (Retry-After) or 503 with probability R
  --slow-rate R    each create is carried out, then answered only after --slow-seconds (beyond the
                   client's timeout) with probability R
  POST /_contract/script ["429","500","slow","throttle",...]: the next requests' behaviours, in order
  GET  /_contract/stats: creations per code (with the time of the first), duplicates refused, requests
Python 3 standard library only.
"""

import argparse
import base64
import json
import random
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SHOPIFY_VERSION = "2025-01"


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.coupons = {}  # code (as the shop keys it) -> record
        self.created = {}  # code -> number of creations
        self.created_at = {}  # code -> epoch seconds of the first creation
        self.duplicates = 0
        self.requests = 0
        self.batches = 0  # WooCommerce batch requests answered
        self.faults = {"429": 0, "503": 0, "slow": 0, "throttled": 0}
        self.script = []
        self.random = random.Random(args.seed)
        self.tokens = set()
        self.next_id = 1000
        # Shopify's leaky bucket: 1000 points, 50 restored a second (the standard plan's numbers).
        self.bucket = float(args.bucket)
        self.bucket_at = time.monotonic()

    def next_behaviour(self):
        """Scripted behaviour first, else a random fault, else normal."""
        with self.lock:
            self.requests += 1
            if self.script:
                return self.script.pop(0)
            if self.args.fault_rate and self.random.random() < self.args.fault_rate:
                return self.random.choice(["429", "503"])
            if self.args.slow_rate and self.random.random() < self.args.slow_rate:
                return "slow"
        return "normal"

    def record_creation(self, key, record):
        """Creates the coupon unless the key exists; returns False for a duplicate."""
        with self.lock:
            if key in self.coupons:
                self.duplicates += 1
                return False
            self.coupons[key] = record
            self.created[key] = self.created.get(key, 0) + 1
            self.created_at.setdefault(key, time.time())
            return True

    def new_id(self):
        with self.lock:
            self.next_id += 1
            return self.next_id

    def stats(self):
        with self.lock:
            return {
                "created": dict(self.created),
                "createdAt": dict(self.created_at),
                "duplicates": self.duplicates,
                "requests": self.requests,
                "batches": self.batches,
                "faults": dict(self.faults),
                "coupons": self.coupons,
            }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "shop-contract/1"

    def log_message(self, format, *args):  # quiet: tests read /_contract/stats
        pass

    @property
    def state(self):
        return self.server.state

    def body_json(self):
        raw = self.raw_body
        try:
            return json.loads(raw.decode("utf-8")) if raw else None
        except (ValueError, UnicodeDecodeError):
            return ValueError("body is not JSON")

    def send(self, status, payload=None, headers=None):
        body = b"" if payload is None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        # The whole body first, also for a request answered with a fault: on a kept-alive connection
        # unread bytes would be taken for the next request.
        length = int(self.headers.get("Content-Length") or 0)
        self.raw_body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        if path == "/_contract/stats" and method == "GET":
            return self.send(200, self.state.stats())
        if path == "/_contract/script" and method == "POST":
            script = self.body_json()
            with self.state.lock:
                self.state.script.extend(script or [])
            return self.send(204)
        api = self.server.api
        getattr(self, api + "_route")(method, path)

    # The shared faults: before the API looks at the request.
    def common_fault(self, behaviour, error_body):
        if behaviour == "429":
            with self.state.lock:
                self.state.faults["429"] += 1
            self.send(429, error_body(429, "Too Many Requests"), {"Retry-After": str(self.server.retry_after)})
            return True
        if behaviour in ("500", "503"):
            with self.state.lock:
                self.state.faults["503"] += 1
            status = int(behaviour)
            self.send(status, error_body(status, "Internal Server Error"))
            return True
        return False

    def slow(self):
        with self.state.lock:
            self.state.faults["slow"] += 1
        time.sleep(self.server.slow_seconds)

    # ---- Shopify Admin GraphQL -------------------------------------------------------------

    def shopify_route(self, method, path):
        if method != "POST" or path != "/admin/api/%s/graphql.json" % SHOPIFY_VERSION:
            return self.send(404, {"errors": "Not Found"})
        if self.headers.get("X-Shopify-Access-Token") != self.server.token:
            return self.send(
                401, {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
        behaviour = self.state.next_behaviour()
        if self.common_fault(behaviour, lambda status, text: {"errors": text}):
            return
        request = self.body_json()
        if not isinstance(request, dict) or not isinstance(request.get("query"), str):
            return self.send(400, {"errors": {"query": "Required parameter missing or invalid"}})
        query, variables = request["query"], request.get("variables") or {}
        cost = 10 if "mutation" in query else 1
        if behaviour == "throttle" or not self.take_points(cost):
            with self.state.lock:
                self.state.faults["throttled"] += 1
            return self.send(200, {
                "errors": [{"message": "Throttled", "extensions": {
                    "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                "extensions": self.cost(cost, None)})
        if "codeDiscountNodeByCode" in query:
            code = variables.get("code")
            if not isinstance(code, str):
                return self.send(200, self.variable_error("code", "String!", "Expected value to not be null"))
            with self.state.lock:
                found = self.state.coupons.get(code.upper())
            node = {"id": found["id"]} if found else None
            return self.send(200, {"data": {"codeDiscountNodeByCode": node}, "extensions": self.cost(cost, cost)})
        if "discountCodeBasicCreate" in query:
            return self.shopify_create(variables.get("basicCodeDiscount"), cost, behaviour)
        return self.send(200, {"errors": [{"message": "Field doesn't exist on type 'QueryRoot'"}]})

    def take_points(self, cost):
        with self.state.lock:
            now = time.monotonic()
            self.state.bucket = min(float(self.server.bucket), self.state.bucket + (now - self.state.bucket_at) * 50.0)
            self.state.bucket_at = now
            if self.state.bucket < cost:
                return False
            self.state.bucket -= cost
            return True

    def cost(self, requested, actual):
        with self.state.lock:
            available = int(self.state.bucket)
        return {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": {
            "maximumAvailable": float(self.server.bucket), "currentlyAvailable": available, "restoreRate": 50.0}}}

    def variable_error(self, path, type_name, explanation):
        return {"errors": [{
            "message": "Variable $basicCodeDiscount of type %s was provided invalid value for %s (%s)"
            % (type_name, path, explanation),
            "locations": [{"line": 1, "column": 10}],
            "extensions": {"problems": [{"path": path.split("."), "explanation": explanation}]}}]}

    def shopify_create(self, discount, cost, behaviour):
        if not isinstance(discount, dict):
            return self.send(200, self.variable_error("basicCodeDiscount", "DiscountCodeBasicInput!",
                                                      "Expected value to not be null"))
        for field in ("title", "code", "startsAt", "customerGets"):
            if discount.get(field) in (None, ""):
                return self.send(200, self.variable_error(field, "DiscountCodeBasicInput!",
                                                          "Expected value to not be null"))
        gets = discount["customerGets"]
        value = gets.get("value") if isinstance(gets, dict) else None
        if not isinstance(value, dict) or not isinstance(gets.get("items"), dict):
            return self.send(200, self.variable_error("customerGets.value", "DiscountCustomerGetsInput",
                                                      "Expected value to not be null"))
        user_errors = []
        if "percentage" in value:
            percentage = value["percentage"]
            if not isinstance(percentage, (int, float)) or not 0 < percentage <= 1:
                user_errors.append({"field": ["basicCodeDiscount", "customerGets", "value", "percentage"],
                                    "code": "VALUE_OUTSIDE_RANGE",
                                    "message": "Value must be greater than 0 and less than or equal to 1"})
        elif "discountAmount" in value:
            amount = (value["discountAmount"] or {}).get("amount")
            if not isinstance(amount, str) or not re.fullmatch(r"\d+(\.\d+)?", amount):
                return self.send(200, self.variable_error("customerGets.value.discountAmount.amount", "Decimal!",
                                                          "invalid decimal"))
        else:
            return self.send(200, self.variable_error("customerGets.value", "DiscountCustomerGetsValueInput",
                                                      "one of percentage, discountAmount required"))
        minimum = discount.get("minimumRequirement")
        if minimum is not None:
            subtotal = ((minimum or {}).get("subtotal") or {}).get("greaterThanOrEqualToSubtotal")
            if not isinstance(subtotal, str) or not re.fullmatch(r"\d+(\.\d+)?", subtotal):
                return self.send(200, self.variable_error("minimumRequirement.subtotal", "Decimal", "invalid decimal"))
        if discount.get("usageLimit") != 1 or discount.get("appliesOncePerCustomer") is not True:
            user_errors.append({"field": ["basicCodeDiscount", "usageLimit"], "code": "INVALID",
                                "message": "orderflow's vouchers are single-use, once per customer"})
        if discount.get("endsAt") is not None and discount["endsAt"] <= discount["startsAt"]:
            user_errors.append({"field": ["basicCodeDiscount", "endsAt"], "code": "INVALID",
                                "message": "Ends at needs to be after starts_at"})
        if not re.fullmatch(r"[^\s]{1,255}", discount["code"]):
            user_errors.append({"field": ["basicCodeDiscount", "code"], "code": "INVALID",
                                "message": "Code is invalid"})
        if user_errors:
            return self.send(200, {"data": {"discountCodeBasicCreate": {
                "codeDiscountNode": None, "userErrors": user_errors}}, "extensions": self.cost(cost, cost)})
        node_id = "gid://shopify/DiscountCodeNode/%d" % self.state.new_id()
        if not self.state.record_creation(discount["code"].upper(), {"id": node_id, "input": discount}):
            return self.send(200, {"data": {"discountCodeBasicCreate": {"codeDiscountNode": None, "userErrors": [{
                "field": ["basicCodeDiscount", "code"], "code": "TAKEN",
                "message": "Code must be unique. Please try a different code."}]}},
                "extensions": self.cost(cost, cost)})
        if behaviour == "slow":
            self.slow()
        self.send(200, {"data": {"discountCodeBasicCreate": {"codeDiscountNode": {"id": node_id}, "userErrors": []}},
                        "extensions": self.cost(cost, cost)})

    # ---- WooCommerce REST v3 ---------------------------------------------------------------

    def woo_error(self, status, code, message, params=None):
        data = {"status": status}
        if params is not None:
            data["params"] = params
        return self.send(status, {"code": code, "message": message, "data": data})

    def woocommerce_route(self, method, path):
        batch = path == "/wp-json/wc/v3/coupons/batch"
        if path != "/wp-json/wc/v3/coupons" and not (batch and method == "POST"):
            return self.woo_error(404, "rest_no_route", "No route was found matching the URL and request method.")
        auth = self.headers.get("Authorization") or ""
        expected = "Basic " + base64.b64encode(self.server.token.encode()).decode()
        if auth != expected:
            if batch:
                return self.woo_error(401, "woocommerce_rest_cannot_batch",
                                      "Sorry, you are not allowed to batch manipulate this resource.")
            code = "woocommerce_rest_cannot_create" if method == "POST" else "woocommerce_rest_cannot_view"
            what = "create resources" if method == "POST" else "list resources"
            return self.woo_error(401, code, "Sorry, you are not allowed to %s." % what)
        behaviour = self.state.next_behaviour()
        if self.common_fault(behaviour, lambda status, text: {
                "code": "rest_error", "message": text, "data": {"status": status}}):
            return
        if batch:
            return self.woocommerce_batch(self.body_json(), behaviour)
        if method == "GET":
            query = parse_qs(urlsplit(self.path).query)
            code = (query.get("code") or [""])[0].lower()
            with self.state.lock:
                found = [c for key, c in self.state.coupons.items() if not code or key == code]
            return self.send(200, found)
        coupon = self.body_json()
        if not isinstance(coupon, dict):
            return self.woo_error(400, "rest_invalid_json", "Invalid JSON body passed.")
        status, payload = self.woocommerce_create(coupon)
        if status == 201 and behaviour == "slow":
            self.slow()
        self.send(status, payload)

    def woocommerce_create(self, coupon):
        """One create, as POST /coupons and each entry of a batch's create list: (status, body)."""
        def error(status, code, message, params=None):
            data = {"status": status}
            if params is not None:
                data["params"] = params
            return status, {"code": code, "message": message, "data": data}
        if not isinstance(coupon, dict):
            return error(400, "rest_invalid_json", "Invalid JSON body passed.")
        if not coupon.get("code"):
            return error(400, "rest_missing_callback_param", "Missing parameter(s): code", ["code"])
        invalid = {}
        if coupon.get("discount_type", "fixed_cart") not in ("percent", "fixed_cart", "fixed_product"):
            invalid["discount_type"] = "discount_type is not one of percent, fixed_cart, and fixed_product."
        for field in ("amount", "minimum_amount"):
            if field in coupon and not (isinstance(coupon[field], str) and re.fullmatch(r"\d+(\.\d+)?", coupon[field])):
                invalid[field] = "%s is not of type string." % field
        for field in ("date_expires", "date_expires_gmt"):
            if field in coupon and coupon[field] is not None and not re.fullmatch(
                    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", str(coupon[field])):
                invalid[field] = "Invalid date."
        for field in ("usage_limit", "usage_limit_per_user"):
            if field in coupon and not isinstance(coupon[field], int):
                invalid[field] = "%s is not of type integer." % field
        emails = coupon.get("email_restrictions", [])
        if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e for e in emails):
            invalid["email_restrictions"] = "email_restrictions[0] is not a valid email address."
        if invalid:
            return error(400, "rest_invalid_param", "Invalid parameter(s): " + ", ".join(sorted(invalid)), invalid)
        code = coupon["code"].lower()  # wc_format_coupon_code: coupons are kept in lower case
        record = {
            "id": self.state.new_id(), "code": code, "amount": "%.2f" % float(coupon.get("amount", "0")),
            "discount_type": coupon.get("discount_type", "fixed_cart"),
            "date_expires_gmt": coupon.get("date_expires_gmt"), "date_expires": coupon.get("date_expires"),
            "usage_limit": coupon.get("usage_limit"), "usage_limit_per_user": coupon.get("usage_limit_per_user"),
            "email_restrictions": emails, "minimum_amount": coupon.get("minimum_amount", ""),
        }
        if not self.state.record_creation(code, record):
            return error(400, "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists")
        return 201, record

    def woocommerce_batch(self, request, behaviour):
        """POST /coupons/batch: {"create": [...], "update": [...], "delete": [...]}, at most 100 objects in
        all (413 otherwise); each create as a single create, answered in order in the response's create
        list: the coupon, or {"id": 0, "error": {code, message, data}} (WC_REST_Controller::batch_items)."""
        if not isinstance(request, dict):
            return self.woo_error(400, "rest_invalid_json", "Invalid JSON body passed.")
        actions = {action: request.get(action) or [] for action in ("create", "update", "delete")}
        for action, items in actions.items():
            if not isinstance(items, list):
                return self.woo_error(400, "rest_invalid_param", "Invalid parameter(s): " + action,
                                      {action: "%s is not of type array." % action})
        if sum(len(items) for items in actions.values()) > 100:
            return self.woo_error(413, "woocommerce_rest_request_entity_too_large",
                                  "Unable to accept more than 100 items for this request.")
        response = {}
        if actions["create"]:
            response["create"] = []
            for coupon in actions["create"]:
                status, payload = self.woocommerce_create(coupon)
                response["create"].append(payload if status == 201 else {"id": 0, "error": payload})
        # The stand-in keeps coupons for creating and finding only: updates and deletes are refused per item.
        for action in ("update", "delete"):
            if actions[action]:
                response[action] = [{"id": item.get("id", 0) if isinstance(item, dict) else item, "error": {
                    "code": "woocommerce_rest_shop_coupon_invalid_id", "message": "Invalid ID.",
                    "data": {"status": 400}}} for item in actions[action]]
        with self.state.lock:
            self.state.batches += 1
        if behaviour == "slow":
            self.slow()
        self.send(200, response)

    # ---- Shopware 6 Admin API --------------------------------------------------------------

    def shopware_errors(self, status, code, detail, pointer=None, title=None):
        error = {"code": code, "status": str(status), "title": title or "Bad Request", "detail": detail}
        if pointer:
            error["source"] = {"pointer": pointer}
        return self.send(status, {"errors": [error]})

    def shopware_route(self, method, path):
        if method == "POST" and path == "/api/oauth/token":
            grant = self.body_json()
            if not isinstance(grant, dict) or grant.get("grant_type") != "client_credentials":
                return self.shopware_errors(400, "0", "The authorization grant type is not supported.",
                                            title="Bad Request")
            if "%s:%s" % (grant.get("client_id"), grant.get("client_secret")) != self.server.token:
                return self.shopware_errors(401, "0", "The user credentials were incorrect.", title="Unauthorized")
            token = uuid.uuid4().hex
            with self.state.lock:
                self.state.tokens.add(token)
            return self.send(200, {"token_type": "Bearer", "expires_in": 600, "access_token": token})
        auth = self.headers.get("Authorization") or ""
        with self.state.lock:
            valid = auth.startswith("Bearer ") and auth[7:] in self.state.tokens
        if not valid:
            return self.shopware_errors(401, "0", "Access token could not be verified.", title="Unauthorized")
        behaviour = self.state.next_behaviour()
        if self.common_fault(behaviour, lambda status, text: {"errors": [
                {"code": "0", "status": str(status), "title": text, "detail": text}]}):
            return
        if method == "POST" and path == "/api/search/promotion":
            search = self.body_json() or {}
            wanted = None
            for condition in search.get("filter") or []:
                if condition.get("type") == "equals" and condition.get("field") == "code":
                    wanted = condition.get("value")
            with self.state.lock:
                found = [p for p in self.state.coupons.values() if wanted is None or p["code"] == wanted]
            return self.send(200, {"total": len(found), "data": found, "aggregations": []})
        if method == "POST" and path == "/api/promotion":
            return self.shopware_create(self.body_json(), behaviour)
        return self.shopware_errors(404, "FRAMEWORK__ROUTE_NOT_FOUND", "No route found", title="Not Found")

    def shopware_create(self, promotion, behaviour):
        if not isinstance(promotion, dict):
            return self.shopware_errors(400, "FRAMEWORK__INVALID_REQUEST_PARAMETER", "The body is not JSON.")
        if "id" in promotion and not re.fullmatch(r"[0-9a-f]{32}", str(promotion["id"])):
            return self.shopware_errors(400, "FRAMEWORK__INVALID_UUID", "Value is not a valid UUID", "/0/id")
        blank = "c1051bb4-d103-4f74-8988-acbcafc7fdc3"  # Symfony's NotBlank
        if not promotion.get("name"):
            return self.shopware_errors(400, blank, "This value should not be blank.", "/0/name")
        if promotion.get("useCodes") and not promotion.get("useIndividualCodes"):
            code = str(promotion.get("code") or "").strip()
            if not code:
                return self.shopware_errors(400, "PROMOTION_EMPTY_CODE_VIOLATION",
                                            "Please provide a valid code.", "/0/code")
        else:
            code = None
        for index, discount in enumerate(promotion.get("discounts") or []):
            if discount.get("scope") not in ("cart", "delivery", "set"):
                return self.shopware_errors(400, blank, "This value should not be blank.",
                                            "/0/discounts/%d/scope" % index)
            if discount.get("type") not in ("percentage", "absolute", "fixed", "fixed_unit"):
                return self.shopware_errors(400, blank, "This value should not be blank.",
                                            "/0/discounts/%d/type" % index)
            value = discount.get("value")
            if not isinstance(value, (int, float)) or value <= 0 or (
                    discount["type"] == "percentage" and value > 100):
                return self.shopware_errors(400, "PROMOTION_DISCOUNT_MIN_VALUE_VIOLATION",
                                            "Value must not be less than 0.00", "/0/discounts/%d/value" % index)
        for index, rule in enumerate(promotion.get("cartRules") or []):
            for condition in rule.get("conditions") or []:
                amount = (condition.get("value") or {}).get("amount")
                if condition.get("type") != "cartCartAmount" or not isinstance(amount, (int, float)):
                    return self.shopware_errors(400, blank, "This value should not be blank.",
                                                "/0/cartRules/%d/conditions" % index)
        for index, assignment in enumerate(promotion.get("salesChannels") or []):
            if not re.fullmatch(r"[0-9a-f]{32}", str(assignment.get("salesChannelId"))):
                return self.shopware_errors(400, "FRAMEWORK__INVALID_UUID", "Value is not a valid UUID",
                                            "/0/salesChannels/%d/salesChannelId" % index)
        promotion_id = promotion.get("id") or uuid.uuid4().hex
        record = {"id": promotion_id, "code": code, "name": promotion["name"],
                  "validUntil": promotion.get("validUntil"),
                  "maxRedemptionsGlobal": promotion.get("maxRedemptionsGlobal"),
                  "maxRedemptionsPerCustomer": promotion.get("maxRedemptionsPerCustomer"),
                  "discounts": promotion.get("discounts"), "cartRules": promotion.get("cartRules"),
                  "salesChannels": promotion.get("salesChannels")}
        if not self.state.record_creation(code, record):
            return self.shopware_errors(400, "PROMOTION_DUPLICATED_CODE_VIOLATION",
                                        "Code already exists in other promotion. Please provide a different code.",
                                        "/0/code")
        if behaviour == "slow":
            self.slow()
        self.send(204, None, {"Location": "http://%s/api/promotion/%s" % (self.headers.get("Host"), promotion_id)})


def main():
    parser = argparse.ArgumentParser(description="orderflow's test stand-in for a shop's coupon API")
    parser.add_argument("api", choices=["shopify", "woocommerce", "shopware"])
    parser.add_argument("port", type=int)
    parser.add_argument("--token", required=True, help="the access token, or KEY:SECRET (WooCommerce, Shopware)")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--slow-rate", type=float, default=0.0)
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--bucket", type=int, default=1000, help="Shopify's throttle bucket size (points)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.api = args.api
    server.token = args.token
    server.slow_seconds = args.slow_seconds
    server.retry_after = args.retry_after
    server.bucket = args.bucket
    server.state = State(args)
    print("shop contract %s listening on 127.0.0.1:%d" % (args.api, args.port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
