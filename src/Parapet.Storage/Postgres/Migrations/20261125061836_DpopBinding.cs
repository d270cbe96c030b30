using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parapet.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DpopBinding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DpopJkt",
                table: "refresh_tokens",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DpopJkt",
                table: "authorization_codes",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DpopJkt",
                table: "refresh_tokens");

            migrationBuilder.DropColumn(
                name: "DpopJkt",
                table: "authorization_codes");
        }
    }
}
