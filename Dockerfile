# alertc in a small image: build the wheel in one stage, install it (runtime dependencies only)
# into a virtual environment in a second, and run as a non-root user. No compilers, no dev extras.
#   docker build -t alertc .
#   docker run --rm alertc --version
#   docker run --rm -v "$PWD:/work" -w /work alertc plan --target sandbox
# tests/test_install.py runs the same two pip commands in a fresh virtual environment.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY compiler ./compiler
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 alertc
COPY --from=build /wheels /wheels
RUN python -m venv /opt/alertc \
    && /opt/alertc/bin/pip install --no-cache-dir /wheels/*.whl \
    && /opt/alertc/bin/pip uninstall --yes pip \
    && rm -rf /wheels
ENV PATH=/opt/alertc/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER alertc
WORKDIR /work
ENTRYPOINT ["alertc"]
CMD ["--help"]
