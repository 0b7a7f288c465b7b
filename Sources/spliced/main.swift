print("spliced: not yet")
