// The start-up baseline of flowbench: the smallest Swift program, built like flowrun.
print("hello")
