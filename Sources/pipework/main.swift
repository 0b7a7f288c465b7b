print("pipework")
