/** What a new person sees first: a complete program they can run on an ESP32 without changing a line. */
export const BLINK_EXAMPLE = `# Blink the on-board LED of an ESP32.
# Save this file to the board as main.py and it runs at every power-up.
from machine import Pin
import time

led = Pin(2, Pin.OUT)  # GPIO 2 is the blue LED on most ESP32 dev boards

while True:
    led.value(not led.value())  # switch it on, then off
    time.sleep(0.5)             # half a second between changes
`;
