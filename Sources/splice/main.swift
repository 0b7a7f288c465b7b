print("splice: not yet")
