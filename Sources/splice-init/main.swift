print("splice-init: not yet")
