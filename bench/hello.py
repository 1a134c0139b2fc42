"""The bare Flask hello-world that load_bench.py compares the answer endpoint with."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
