-- Stories and cards. Column names and order match Mapping/RunEngineTables.cs (the binary COPY writes them in that order).
CREATE TABLE $(Stories) (
    id uuid NOT NULL,
    run_id uuid NOT NULL,
    position integer NOT NULL,
    title varchar(400) NOT NULL,
    body text NULL,
    status smallint NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    metadata jsonb NULL,
    CONSTRAINT "$(Prefix)stories_pk" PRIMARY KEY (id),
    CONSTRAINT "$(Prefix)stories_run_position_uq" UNIQUE (run_id, position)
);

CREATE TABLE $(Cards) (
    id uuid NOT NULL,
    run_id uuid NOT NULL,
    story_id uuid NOT NULL,
    position integer NOT NULL,
    title varchar(400) NOT NULL,
    description text NULL,
    status smallint NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    metadata jsonb NULL,
    CONSTRAINT "$(Prefix)cards_pk" PRIMARY KEY (id),
    CONSTRAINT "$(Prefix)cards_story_position_uq" UNIQUE (story_id, position),
    -- No cascade: deleting a run removes its cards first, explicitly.
    CONSTRAINT "$(Prefix)cards_story_fk" FOREIGN KEY (story_id) REFERENCES $(Stories) (id)
);

CREATE INDEX "$(Prefix)cards_run_ix" ON $(Cards) (run_id);
