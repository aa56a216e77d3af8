# umqtt.robust's role for Pinwheel's tests (served by the local package index
# fixture): the simple client, reconnecting when a publish or a wait fails.
# Written for the tests; it imports the simple client the way the real
# package does, so the installer must bring the dependency along.
import time
from umqtt.simple import MQTTClient as _Simple


class MQTTClient(_Simple):
    DELAY = 2

    def reconnect(self):
        attempt = 0
        while True:
            try:
                return self.connect(False)
            except OSError:
                attempt += 1
                time.sleep(min(self.DELAY * attempt, 30))

    def publish(self, topic, msg, retain=False, qos=0):
        while True:
            try:
                return super().publish(topic, msg, retain, qos)
            except OSError:
                self.reconnect()

    def wait_msg(self):
        while True:
            try:
                return super().wait_msg()
            except OSError:
                self.reconnect()
