# Build a static, CGO-free binary, then run it as a non-root user with the database on a volume.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/sourcebook ./cmd/sourcebook \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sourcebook /sourcebook
COPY --from=build --chown=nonroot:nonroot /out/data /data
USER nonroot:nonroot
ENV SOURCEBOOK_DB=/data/sourcebook.db SOURCEBOOK_ADDR=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/sourcebook"]
CMD ["serve"]
