import FlowrunStandIns

// Placeholder until the stand-in server program lands.
print("flowrun-standins: not built yet")
