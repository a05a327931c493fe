// Hand-written order bodies, one or two per channel, used when the shared fixtures are not available so the
// benchmark still prints figures (they are smaller than most fixtures; the output says which set was used).
enum InlineSamples {
    static let all: [(channel: String, name: String, json: String)] = [
        ("shopify", "inline shopify DE", shopify),
        ("woocommerce", "inline woocommerce DE", woocommerce),
        ("shopware", "inline shopware DE", shopware),
        ("amazon", "inline amazon v0 DE composite", amazonV0),
        ("amazon", "inline amazon 2026-01-01", amazon2026),
        ("ebay", "inline ebay AT", ebay),
        ("pos", "inline square EUR shipment", square),
    ]

    static let shopify = """
        {"id": 450789469, "admin_graphql_api_id": "gid://shopify/Order/450789469", "name": "#1001",
         "email": "lena.vogel@example.de", "created_at": "2026-11-02T15:05:00+01:00", "updated_at": \
        "2026-11-02T15:05:40+01:00",
         "currency": "EUR", "presentment_currency": "EUR", "customer_locale": "de-DE",
         "financial_status": "paid", "fulfillment_status": null, "cancelled_at": null, "cancel_reason": null,
         "total_line_items_price": "61.80", "total_discounts": "0.00", "total_tax": "10.50", "total_price": "65.75",
         "taxes_included": true,
         "shipping_lines": [{"price": "3.95", "title": "DHL Paket"}],
         "line_items": [{"id": 1, "sku": "KANNE-1L", "name": "Teekanne 1 l", "title": "Teekanne", "quantity": 2, \
        "price": "30.90"}],
         "customer": {"first_name": "Lena", "last_name": "Vogel", "email": "lena.vogel@example.de"},
         "shipping_address": {"first_name": "Lena", "last_name": "Vogel", "address1": "Bergstraße 12", "city": \
        "Heidelberg",
                              "zip": "69117", "country_code": "DE"},
         "billing_address": {"first_name": "Lena", "last_name": "Vogel", "address1": "Bergstraße 12", "city": \
        "Heidelberg",
                             "zip": "69117", "country_code": "DE"}}
        """

    static let woocommerce = """
        {"id": 727, "number": "727", "status": "processing", "currency": "EUR",
         "date_created": "2026-11-02T15:05:00", "date_created_gmt": "2026-11-02T14:05:00",
         "date_modified": "2026-11-02T15:06:00", "date_modified_gmt": "2026-11-02T14:06:00",
         "discount_total": "0.00", "shipping_total": "3.95", "total": "65.75", "total_tax": "10.50",
         "billing": {"first_name": "Lena", "last_name": "Vogel", "address_1": "Bergstraße 12", "city": "Heidelberg",
                     "postcode": "69117", "country": "DE", "email": "lena.vogel@example.de"},
         "shipping": {"first_name": "Lena", "last_name": "Vogel", "address_1": "Bergstraße 12", "city": "Heidelberg",
                      "postcode": "69117", "country": "DE"},
         "line_items": [{"id": 315, "name": "Teekanne 1 l &ndash; Glas", "sku": "KANNE-1L", "quantity": 2,
                         "subtotal": "61.80", "total": "61.80", "price": 30.9}],
         "refunds": []}
        """

    static let shopware = """
        {"order": {"id": "0191d7c3a1b27c5f9b3e4f5a6b7c8d9e", "orderNumber": "10077",
         "currency": {"isoCode": "EUR"}, "orderDateTime": "2026-11-02T14:05:00.000+00:00",
         "amountTotal": 65.75, "amountNet": 55.25, "shippingTotal": 3.95,
         "price": {"totalPrice": 65.75, "calculatedTaxes": [{"tax": 10.5, "taxRate": 19, "price": 65.75}]},
         "stateMachineState": {"technicalName": "open"},
         "transactions": [{"stateMachineState": {"technicalName": "paid"}}],
         "deliveries": [{"stateMachineState": {"technicalName": "open"},
                         "shippingOrderAddress": {"firstName": "Lena", "lastName": "Vogel", "street": "Bergstraße 12",
                                                  "zipcode": "69117", "city": "Heidelberg", "country": {"iso": "DE"}}}],
         "orderCustomer": {"email": "lena.vogel@example.de", "firstName": "Lena", "lastName": "Vogel"},
         "lineItems": [{"id": "a1", "type": "product", "label": "Teekanne 1 l", "quantity": 2, "unitPrice": 30.9,
                        "totalPrice": 61.8, "payload": {"productNumber": "KANNE-1L"}}]}}
        """

    static let amazonV0 = """
        {"order": {"AmazonOrderId": "302-4711042-0815007", "PurchaseDate": "2026-11-02T13:05:00Z",
          "LastUpdateDate": "2026-11-02T14:10:00Z", "OrderStatus": "Unshipped", "MarketplaceId": "A1PA6795UKMFR9",
          "OrderTotal": {"CurrencyCode": "EUR", "Amount": "73.80"}, "LatestShipDate": "2026-11-04T22:59:59Z"},
         "orderItems": [
          {"OrderItemId": "48151623420001", "SellerSKU": "KANNE-1L", "Title": "Teekanne 1 l", "QuantityOrdered": 2,
           "ItemPrice": {"CurrencyCode": "EUR", "Amount": "61.80"}, "ShippingPrice": {"CurrencyCode": "EUR", "Amount": \
        "3.95"},
           "ItemTax": {"CurrencyCode": "EUR", "Amount": "9.87"}, "ShippingTax": {"CurrencyCode": "EUR", "Amount": \
        "0.63"},
           "PromotionDiscount": {"CurrencyCode": "EUR", "Amount": "5.00"}, "IsGift": "false"},
          {"OrderItemId": "48151623420002", "SellerSKU": "SIEB-01", "Title": "Teesieb Edelstahl", "QuantityOrdered": \
        "3",
           "ItemPrice": {"CurrencyCode": "EUR", "Amount": "13.05"}, "ItemTax": {"CurrencyCode": "EUR", "Amount": \
        "2.08"},
           "BuyerRequestedCancel": {"IsBuyerRequestedCancel": "false"}}],
         "shippingAddress": {"Name": "Lena Vögel", "AddressLine1": "Bergstraße 12", "City": "Heidelberg",
                             "PostalCode": "69117", "CountryCode": "DE"},
         "buyerInfo": {"BuyerEmail": "lena.voegel@marketplace.amazon.de", "BuyerName": "Lena Vögel"}}
        """

    static let amazon2026 = """
        {"order": {"orderId": "306-1111111-3333333", "createdTime": "2026-05-04T08:00:00Z",
         "lastUpdatedTime": "2026-05-05T09:00:00Z", "salesChannel": {"marketplaceId": "A1PA6795UKMFR9"},
         "buyer": {"buyerName": "Jürgen Weiß", "buyerEmail": "abc@marketplace.amazon.de"},
         "proceeds": {"grandTotal": {"amount": "45.00", "currencyCode": "EUR"},
           "breakdowns": [{"type": "ITEM", "subtotal": {"amount": "50.00", "currencyCode": "EUR"}},
                          {"type": "DISCOUNT", "subtotal": {"amount": "-5.00", "currencyCode": "EUR"}}]},
         "fulfillment": {"fulfillmentStatus": "SHIPPED", "shipByWindow": {"latestDateTime": "2026-05-06T21:59:59Z"}},
         "orderItems": [{"orderItemId": "1", "quantityOrdered": 4,
           "product": {"sellerSku": "TASSE", "title": "Tasse grün", "price": {"unitPrice": {"amount": "12.50", \
        "currencyCode": "EUR"}}}}],
         "packages": [{"packageReferenceId": "P1", "packageStatus": {"status": "IN_TRANSIT"}, "carrier": "DHL",
                       "trackingNumber": "00340434161094042557", "shipTime": "2026-05-05T09:00:00Z",
                       "packageItems": [{"orderItemId": "1", "quantity": 4}]}]}}
        """

    static let ebay = """
        {"orderId": "12-34567-89012", "creationDate": "2026-11-20T07:45:12.345Z", "lastModifiedDate": \
        "2026-11-20T08:00:00.000Z",
         "orderFulfillmentStatus": "NOT_STARTED", "orderPaymentStatus": "PAID",
         "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
         "buyer": {"username": "gruenzeug", "taxAddress": {"countryCode": "AT", "postalCode": "5020"}},
         "pricingSummary": {"priceSubtotal": {"value": "17.8", "currency": "EUR"}, "deliveryCost": {"value": "4.9", \
        "currency": "EUR"},
                            "total": {"value": "22.7", "currency": "EUR"}},
         "fulfillmentStartInstructions": [{"shippingStep": {"shipTo": {"fullName": "Jürgen Größl",
            "contactAddress": {"addressLine1": "Getreidegasse 9", "city": "Salzburg", "postalCode": "5020", \
        "countryCode": "AT"},
            "primaryPhone": {}, "email": "abc123@members.ebay.com"}}}],
         "lineItems": [
          {"lineItemId": "1001", "sku": "ZWIEBEL-S", "title": "Blumenzwiebeln", "quantity": 3,
           "lineItemCost": {"value": "10", "currency": "EUR"}, "deliveryCost": {"shippingCost": {"value": "4.9", \
        "currency": "EUR"}},
           "lineItemFulfillmentInstructions": {"shipByDate": "2026-11-23T22:59:59.000Z"}},
          {"lineItemId": "1002", "title": "Gießkanne 5 l", "quantity": 1, "lineItemCost": {"value": "7.8", "currency": \
        "EUR"},
           "lineItemFulfillmentInstructions": {"shipByDate": "2026-11-21T22:59:59.000Z"}}]}
        """

    static let square = """
        {"order": {"id": "9tC8dLq0eWmvYXyzKaBcDeFgHiJ", "reference_id": "WEB-2026-77", "state": "OPEN",
         "created_at": "2026-11-02T13:05:00.000Z", "updated_at": "2026-11-03T09:30:00.000Z",
         "line_items": [
          {"uid": "li-1", "name": "Kaffeebohnen Äthiopien", "variation_name": "500 g", "quantity": "2",
           "base_price_money": {"amount": 1490, "currency": "EUR"}, "gross_sales_money": {"amount": 2980, "currency": \
        "EUR"}},
          {"uid": "li-2", "name": "Handmühle", "quantity": "1", "base_price_money": {"amount": 3900, "currency": "EUR"},
           "gross_sales_money": {"amount": 4400, "currency": "EUR"}}],
         "total_discount_money": {"amount": 340, "currency": "EUR"}, "total_tax_money": {"amount": 1232, "currency": \
        "EUR"},
         "total_money": {"amount": 8767, "currency": "EUR"},
         "tenders": [{"type": "CARD", "amount_money": {"amount": 8767, "currency": "EUR"}, "card_details": {"status": \
        "CAPTURED"}}],
         "fulfillments": [{"uid": "f-1", "type": "SHIPMENT", "state": "COMPLETED", "shipment_details": {
           "recipient": {"display_name": "Jürgen Weiß", "email_address": "juergen.weiss@example.at",
                         "address": {"address_line_1": "Mariahilfer Straße 3", "locality": "Wien", "postal_code": \
        "1060", "country": "AT"}},
           "carrier": "Österreichische Post", "tracking_number": "RR000111222AT", "shipped_at": \
        "2026-11-03T09:30:00Z"}}]}}
        """
}
